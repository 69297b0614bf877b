"""Job workers: one pyzeebe router per concern, assembled into one streaming worker."""
