"""URL patterns of the competencies app, assessment part (joined in competencies/urls.py)."""

urlpatterns: list = []
