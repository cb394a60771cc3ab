from django.db import migrations, models

from episodes.markup import render_markdown


def render_existing_notes(apps, schema_editor) -> None:
    Episode = apps.get_model("episodes", "Episode")
    for episode in Episode.objects.exclude(show_notes="").only("pk", "show_notes"):
        Episode.objects.filter(pk=episode.pk).update(
            show_notes_html=render_markdown(episode.show_notes)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0003_editor_validation"),
    ]

    operations = [
        migrations.AddField(
            model_name="episode",
            name="show_notes_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(render_existing_notes, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(
                fields=["show", "publish_at", "audio", "updated_at"], name="episode_feed_state"
            ),
        ),
    ]
