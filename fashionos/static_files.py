"""Static files (the admin's CSS and JS) served by whitenoise, from a middleware that also runs
natively under ASGI.

whitenoise's own middleware is sync-only. One sync-only middleware in an ASGI stack makes
Django hop from the event loop to a thread and back around it on every request (measured: it
cut daphne's throughput on a trivial endpoint several times over, see docs/benchmarks.md). Here
the file lookup, a dictionary read, runs in whichever mode the stack is in.
"""

from __future__ import annotations

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    sync_capable = True
    async_capable = True

    def __init__(self, get_response) -> None:
        super().__init__(get_response)
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def _static_file(self, request):
        if self.autorefresh:
            return self.find_file(request.path_info)
        return self.files.get(request.path_info)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        return super().__call__(request)

    async def __acall__(self, request):
        static_file = self._static_file(request)
        if static_file is not None:
            return self.serve(static_file, request)
        return await self.get_response(request)
