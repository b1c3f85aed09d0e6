"""Pagination for every list: page numbers, a bounded page size, and a stable order (each
viewset orders by a unique key last, so no row appears on two pages)."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
