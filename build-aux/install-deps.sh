#!/bin/sh
# Installs the Debian 12 packages Reins needs to build, run and test.
# Idempotent: it only calls apt-get when something is missing.
set -eu

packages="
  meson ninja-build pkg-config gcc clang gettext itstool
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libsecret-1-dev
  desktop-file-utils appstream curl
  xvfb xauth dbus dbus-x11 gnome-keyring at-spi2-core imagemagick
  libclang-rt-14-dev sqlite3
  libpq-dev postgresql-15 postgresql-client-15
"

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done

[ -z "$missing" ] && exit 0

echo "Installing missing Debian packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
else
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
