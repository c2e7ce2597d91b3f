"""Command-line subcommands that compose the layers below (auth, sync, api) without a UI."""
