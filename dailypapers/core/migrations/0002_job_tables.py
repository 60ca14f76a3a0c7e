"""Give the scheduler's tables their own app's names (core_job, core_jobrun)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="job", table=None),
        migrations.AlterModelTable(name="jobrun", table=None),
    ]
