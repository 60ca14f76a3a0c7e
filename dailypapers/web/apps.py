from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dailypapers.web"
    label = "web"
