"""URL patterns of the competencies app, development part (joined in competencies/urls.py)."""

urlpatterns: list = []
