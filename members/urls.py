"""URLs of the members app, mounted at /<lang>/members/. Each views module declares its
own patterns; names are dashed and unique across the app."""

from members.views import applications, directory, dues, space, staff

app_name = "members"

urlpatterns = [
    *directory.urlpatterns,  # public directory
    *applications.urlpatterns,  # join form, staff review of applications
    *space.urlpatterns,  # member space, contacts, invitations
    *dues.urlpatterns,  # dues scale, call, records, notices, reminders
    *staff.urlpatterns,  # staff members list, exports, history
]
