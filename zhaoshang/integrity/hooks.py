"""What integrity hangs on the lower layers' hooks (registered once, from `IntegrityConfig.ready`)."""
