from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from jobmaal.web.api import api
from jobmaal.web.views import areas, compare, downloads, imports, pages, publishing, status, tasks

urlpatterns = [
    path("", pages.overview, name="overview"),
    path("kommune/<int:code>/", pages.municipality, name="municipality"),
    path("indikatorer/", pages.indicators, name="indicators"),
    path("indikator/<str:indicator_id>/", pages.indicator, name="indicator"),
    path("soeg/", pages.search, name="search"),
    path("tilgaengelighed/", TemplateView.as_view(template_name="web/accessibility.html"),
         name="accessibility"),
    path("jobcenter/<str:code>/", areas.jobcentre, name="jobcentre"),
    path("rar/<str:name>/", areas.rar, name="rar"),
    path("region/<str:code>/", areas.region, name="region"),
    path("sammenlign/", compare.comparison, name="compare"),
    path("status/", status.status, name="status"),
    path("metode/", status.method_page, name="method"),
    path("udgivelser/", pages.releases, name="releases"),
    path("udgivelser/<int:pk>/facts.<str:fmt>", downloads.release_download, name="release_download"),
    path("udgivelser/<int:pk>/revisioner/", imports.revisions, name="release_revisions"),
    path("udgivelser/<int:pk>/udgiv/", publishing.publish, name="release_publish"),
    path("opgaver/<str:task_id>/", tasks.task_page, name="task"),
    path("opgaver/<str:task_id>.json", tasks.task_json, name="task_json"),
    path("opgaver/<str:task_id>/planer.zip", tasks.plan_pdfs_download, name="plan_pdfs_download"),
    path("opfoelgning/planer-<int:year>.zip", tasks.plan_pdfs_start, name="plan_pdfs_start"),
    path("import/", imports.upload, name="import_upload"),
    path("tabel/<str:name>.<str:fmt>", downloads.table_download, name="table_download"),
    path("kort/kommuner.topojson", pages.boundaries, name="boundaries"),
    path("api/", api.urls),
    path("konto/", include("jobmaal.web.accounts.urls")),
    path("opfoelgning/", include("jobmaal.web.followup.urls")),
    path("undersoegelse/", include("jobmaal.web.survey.urls")),
    path("admin/", admin.site.urls),
]
