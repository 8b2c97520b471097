-- A source that compiles but defines no handler: every request ends in the
-- Inbox and nothing ever answers.
local registry = {}
registry.version = 1
