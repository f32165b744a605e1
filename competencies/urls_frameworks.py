"""URL patterns of the competencies app, frameworks part (joined in competencies/urls.py)."""

urlpatterns: list = []
