"""`make stack`: start the whole topology (deploy/stack/__init__.py) with the
demo content, print where everything is, and keep it running until Ctrl-C."""

import argparse
import signal
import sys

from deploy.stack import SERVER_NAME, Stack, missing_programs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles",
        type=int,
        default=0,
        help="generated articles instead of the demo content",
    )
    args = parser.parse_args(argv)
    missing = missing_programs()
    if missing:
        print(
            f"stack: needs Debian's {', '.join(missing)}: "
            f"apt-get install {' '.join(missing)}",
            file=sys.stderr,
        )
        return 1
    stack = Stack(articles=args.articles).start()
    try:
        https = stack.ports["https"]
        print(
            f"\nThe stack is up. Browse https://{SERVER_NAME}:{https}/ after adding\n"
            f"  127.0.0.1 {SERVER_NAME}\n"
            "to /etc/hosts (the certificate is self-signed: "
            f"{stack.certificate}), or:\n"
            f"  curl -k --resolve {SERVER_NAME}:{https}:127.0.0.1 "
            f"https://{SERVER_NAME}:{https}/\n"
            f"App servers: {', '.join(f'127.0.0.1:{p}' for p in stack.app_ports)}; "
            f"PostgreSQL primary {stack.ports['primary']}, replica "
            f"{stack.ports['replica']}; Redis {stack.ports['redis']}.\n"
            f"Logs: {stack.dir}. Ctrl-C stops everything and removes the folder.",
            flush=True,
        )
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
