from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('timing', '0007_screens'),
    ]

    operations = [
        migrations.AddField(
            model_name='competition',
            name='restored_from',
            field=models.UUIDField(blank=True, editable=False, help_text='The dump_id of the backup this competition was loaded from (manage.py loadcompetition): a second load of the same file is refused.', null=True, unique=True),
        ),
    ]
