from django.db import models


class EventLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    PREFECTURE = "prefecture", "州市级"
    COUNTY = "county", "县市级"


# Ordered from the highest; a scheme's "州市级 or above" is a prefix of this list.
EVENT_LEVEL_ORDER = [EventLevel.NATIONAL, EventLevel.PROVINCIAL, EventLevel.PREFECTURE, EventLevel.COUNTY]


def levels_at_or_above(level: str) -> list[str]:
    values = [lv.value for lv in EVENT_LEVEL_ORDER]
    return values[: values.index(level) + 1]


class RecommendTarget(models.TextChoices):
    MAIN = "main", "主要领导"
    DIVISION = "division", "分管领导"
