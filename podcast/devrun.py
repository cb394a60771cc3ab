"""`make run`'s process manager: honcho, given longer to let the worker stop on Ctrl-C.

On Ctrl-C honcho sends SIGTERM to every process and SIGKILLs whatever is left after
5 s. Celery's warm shutdown (let running tasks finish, stop the embedded beat, close
the broker channel) takes 3-5 s here, so on a busy machine honcho killed the worker
in the middle of it. 20 s lets it finish; anything still running then is killed as before.
"""

import sys

from honcho import manager
from honcho.command import main

manager.KILL_WAIT = 20

if __name__ == "__main__":
    sys.exit(main())
