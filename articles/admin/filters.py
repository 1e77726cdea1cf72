"""List filters of the article admin: `YesNoFilter`, a filter of two choices over one condition
(the annotations app builds its own article filters on it), and the filter by whether
extraction suggested an outlet."""

from django.contrib import admin
from django.db.models import Q


class YesNoFilter(admin.SimpleListFilter):
    """A filter with two choices: the rows that meet `condition()`, or those that don't."""

    yes_label = no_label = ""

    def lookups(self, request, model_admin):
        return [("yes", self.yes_label), ("no", self.no_label)]

    def condition(self) -> Q:
        raise NotImplementedError

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition())
        if self.value() == "no":
            return queryset.exclude(self.condition())
        return queryset


class OutletSuggestionFilter(YesNoFilter):
    title = "suggested outlet"
    parameter_name = "suggestion"
    yes_label, no_label = "Has a suggested outlet", "No suggestion"

    def condition(self) -> Q:
        return ~Q(outlet_suggestion="")
