"""The pages benchmark's floor: a one-view Django app, served by gunicorn on the same command
line as Riffhouse's web server, so a page's req/s divided by the floor's says how much of the
server's capacity the page itself costs (bench/pages.py)."""
