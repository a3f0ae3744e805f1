"""Status choices that templates show as coloured badges, registered by name (``{% badge value "Name" %}``)."""

REGISTRY: dict[str, type] = {}


def badge_choices(colors: dict[str, str]):
    """Class decorator: attach the colour map and register the TextChoices for the badge tag."""

    def register(cls):
        cls.colors = colors
        REGISTRY[cls.__name__] = cls
        return cls

    return register
