"""The one exception type users see: a bad input, explained in one line."""


class GdengineError(ValueError):
    """Bad input (unknown name, wrong type, NaN, diverging setting, missing tool).

    The message is one line that names the problem and, where there is one, the fix or the
    valid choices. The CLI prints it without a traceback and exits with code 2.
    """
