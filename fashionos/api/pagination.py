"""Pagination for every list: page numbers, a bounded page size, and a stable order (each
viewset orders by a unique key last, so no row appears on two pages).

The page's `count` needs the number of matching rows, which Django's paginator asks the
database for (a COUNT) before reading the page. On the first page it is read after: the page
is read with one row more than it holds, and when that row is not there, the rows read are
all the rows and their number is the count, so the COUNT is not sent. Most lists (a
campaign's samples, tasks, assets) fit in one page."""

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination


class CountFromFirstPagePaginator(Paginator):
    """Django's paginator, except that the first page is read before the count and gives it
    when it is the only page."""

    def page(self, number):
        if number not in (1, "1") or self.orphans or not self.allow_empty_first_page:
            return super().page(number)
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page and "count" not in self.__dict__:
            self.count = len(rows)  # the cached property's value: no COUNT statement
        return self._get_page(rows[: self.per_page], 1, self)


class StandardPagination(PageNumberPagination):
    django_paginator_class = CountFromFirstPagePaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
