"""Small helpers the thin views share."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator

PAGE_SIZE = 50


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the named field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
