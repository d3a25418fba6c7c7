#!/bin/sh
echo "hello from $(uname -m)"
