from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog

# The pages' scripts' translations: the same for everyone speaking a language, so built once per
# language and process (cache_page keys by language) and kept a day by browsers (base.html puts
# the language in its address, so switching language fetches the other one).
javascript_catalog = cache_page(24 * 60 * 60)(JavaScriptCatalog.as_view())

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", javascript_catalog, name="javascript-catalog"),
    path("", include("timing.urls")),
]
