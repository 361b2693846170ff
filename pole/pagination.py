"""Paged lists: the page size of the portal's lists and the compact page range
(1 … 4 5 6 … 12) that templates/includes/pagination.html shows."""

PAGE_SIZE = 20


def elided_page_range(page):
    """The page numbers to show around `page` (a Django Page), with `…` for the gaps."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


class ElidedPageRangeMixin:
    """For a paginated ListView/FilterView: `page_range` in the context, for
    templates/includes/pagination.html."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        if page is not None:
            context["page_range"] = elided_page_range(page)
        return context
