"""Job and JobRun now belong to the core app (the scheduler): drop them from this app's state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Job"), migrations.DeleteModel(name="JobRun")],
            database_operations=[],
        ),
    ]
