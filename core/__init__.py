"""The ground floor: mechanisms every app uses, depending on Django only (never on an app)."""
