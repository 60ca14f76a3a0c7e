"""The scheduler's Job and JobRun tables move here from the digests app: the tables already exist (created by
digests 0001 as digests_job / digests_jobrun), so this only takes them over in Django's state; 0002 renames them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("digests", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Job",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=100, unique=True)),
                        ("next_run_at", models.DateTimeField()),
                        ("lease_owner", models.CharField(blank=True, default="", max_length=200)),
                        ("lease_until", models.DateTimeField(blank=True, null=True)),
                        ("last_started_at", models.DateTimeField(blank=True, null=True)),
                        ("last_finished_at", models.DateTimeField(blank=True, null=True)),
                        ("last_status", models.CharField(blank=True, default="", max_length=20)),
                        ("last_message", models.TextField(blank=True, default="")),
                    ],
                    options={"db_table": "digests_job"},
                ),
                migrations.CreateModel(
                    name="JobRun",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("job", models.CharField(db_index=True, max_length=100)),
                        ("owner", models.CharField(max_length=200)),
                        ("started_at", models.DateTimeField()),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("status", models.CharField(default="running", max_length=20)),
                        ("message", models.TextField(blank=True, default="")),
                    ],
                    options={"ordering": ["-started_at"], "db_table": "digests_jobrun"},
                ),
                    ],
            database_operations=[],
        ),
    ]
