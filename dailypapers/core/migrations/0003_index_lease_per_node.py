"""The index job's lease became per node (``index@<node>``): the old cluster-wide row would only linger in
`worker --status`, so it goes (each node creates its own row at its worker's next pass)."""

from django.db import migrations


def drop_cluster_index_row(apps, schema_editor):
    apps.get_model("core", "Job").objects.filter(name="index").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_job_tables"),
    ]

    operations = [
        migrations.RunPython(drop_cluster_index_row, migrations.RunPython.noop),
    ]
