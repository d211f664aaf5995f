"""The use-cases: one service per capability. Handlers call these; these call the domain
(rules) and the repositories (storage)."""
