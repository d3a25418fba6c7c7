#!/bin/sh
# The tiny app: says hello, then the machine it runs on (x86_64, aarch64, …) on a line of its own.
echo "hello from multiarch-action ($(cat /etc/built-on 2>/dev/null || echo '?'))"
uname -m
