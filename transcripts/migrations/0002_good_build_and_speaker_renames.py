import transcripts.models
from django.db import migrations, models


def ready_builds_are_good(apps, schema_editor) -> None:
    Transcript = apps.get_model("transcripts", "Transcript")
    Transcript.objects.filter(status="ready").update(good_build_at=models.F("built_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("transcripts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="transcript",
            name="good_build_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="transcript",
            name="speaker_renames",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AlterField(
            model_name="transcript",
            name="source_file",
            field=models.FileField(
                blank=True,
                help_text="Plain text, WebVTT, SRT, Podcast Index JSON or namespace HTML. Kept even when it fails to parse.",
                max_length=300,
                upload_to=transcripts.models.transcript_source_path,
            ),
        ),
        migrations.RunPython(ready_builds_are_good, migrations.RunPython.noop),
    ]
