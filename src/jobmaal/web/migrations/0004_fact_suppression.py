from django.db import migrations, models


def mark_primary(apps, schema_editor):
    """Facts stored before secondary suppression: every hidden row was a primary one."""
    Fact = apps.get_model("web", "Fact")
    Fact.objects.filter(suppressed=True).update(suppression="primary")


class Migration(migrations.Migration):

    dependencies = [
        ("web", "0003_release_drafts_publications"),
    ]

    operations = [
        migrations.AddField(
            model_name="fact",
            name="suppression",
            field=models.CharField(blank=True, max_length=10, null=True),
        ),
        migrations.RunPython(mark_primary, migrations.RunPython.noop),
    ]
