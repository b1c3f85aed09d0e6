from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "assistant"
    verbose_name = "Assistant"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from assistant.dashboard import panel_register
        from assistant.intents import add_example_source
        from assistant.selectors import labelled_training_examples
        from assistant.tables import tables_register
        from assistant.warm_up import classifier_warm_up
        from fashionos.startup import process_serving

        tables_register()
        panel_register()
        # Staff labels are training examples too: the next training (a new process, or
        # `reload_intents`) learns them.
        add_example_source(labelled_training_examples)
        process_serving.connect(classifier_warm_up, dispatch_uid="assistant.classifier_warm_up")
