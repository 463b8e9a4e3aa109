import threading

from django.core.management.base import BaseCommand

from timing import checks, gcpolicy, server


class Command(BaseCommand):
    help = "Serve Oval with Daphne in this process; optionally replay a race into it live."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--proxy-headers", action="store_true",
                            help="Behind nginx: take the client's address from X-Forwarded-For (docs/deploy.md).")
        parser.add_argument("--backlog", type=int, help="Pending connections the socket queues (Twisted's default: 50).")
        parser.add_argument("--replay", metavar="RACE_ID", help="Replay this recorded race live ('demo': the reference race).")
        parser.add_argument("--from-pair", type=int, default=1)
        parser.add_argument("--speed", type=float, default=1.0, help="Replay speed (1 = real time).")
        parser.add_argument("--pause", type=float, default=20.0, help="Seconds between pairs at speed 1.")
        parser.add_argument("--championship", action="store_true",
                            help="Skate the invented demo championship's 5000 m live (loaddemo --championship).")

    def handle(self, *args, host, port, replay, speed, pause, from_pair, proxy_headers, backlog, championship=False, **options):
        for warning in checks.no_demo_official_in_production():
            self.stderr.write(f"{warning.msg}\n{warning.hint} ({warning.id})")
        if replay == "demo":
            from timing import demo

            replay = demo.load()[0].id
        elif replay:
            replay = int(replay)

        def ready():
            self.stdout.write(f"Oval is serving on http://{host}:{port}/", ending="\n")
            self.stdout.flush()
            if replay:
                from timing.replay import replay_race

                threading.Thread(
                    target=replay_race, args=(replay,), kwargs={"speed": speed, "pause": pause, "from_pair": from_pair, "out": self.stdout,
                            "base": f"http://{host}:{port}"},
                    name="replay", daemon=True,
                ).start()
            if championship:
                from timing import demo_championship

                threading.Thread(
                    target=demo_championship.play, kwargs={"speed": speed, "pause": pause, "out": self.stdout},
                    name="championship", daemon=True,
                ).start()

        daphne = server.build(host, port, ready=ready, proxy_headers=proxy_headers, backlog=backlog)
        gcpolicy.configure()  # everything is loaded: see timing/gcpolicy.py
        daphne.run()
