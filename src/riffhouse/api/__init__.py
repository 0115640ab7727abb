"""The JSON API at /api/v1/: the NinjaAPI instance, authentication, the error format, and
the routers collected from the apps. Nothing imports this app."""
