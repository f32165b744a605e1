# Competency frameworks and self-assessments arrive with the competency issue (#5).
