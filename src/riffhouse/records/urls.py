from django.urls import path

from riffhouse.records import views

app_name = "records"

urlpatterns = [
    path("", views.record_list, name="list"),
    path("new/", views.record_new, name="new"),
    path("<int:record_id>/", views.record_detail, name="detail"),
    path("<int:record_id>/status/", views.record_status, name="status"),
    path("<int:record_id>/edit/", views.record_edit, name="edit"),
    path("<int:record_id>/versions/", views.record_history, name="history"),
    path("<int:record_id>/versions/<int:number>/restore/", views.record_restore, name="restore"),
    path("<int:record_id>/delete/", views.record_delete, name="delete"),
    path("<int:record_id>/files/<uuid:key>/<str:label>", views.record_file, name="file"),
    path("<int:record_id>/covers/<uuid:key>.webp", views.record_cover, name="cover"),
]
