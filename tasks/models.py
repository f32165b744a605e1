# Task catalogues and packages arrive with the package issue (#3).
