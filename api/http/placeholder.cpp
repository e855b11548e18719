// Replaced by the HTTP handlers.
