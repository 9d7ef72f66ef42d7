# Installs what the build and the tests need, skipping whatever is already present.
# Sourced by build.sh; expects REPO_ROOT and the log helpers.

readonly APT_PACKAGES=(
  orthanc orthanc-dicomweb          # DICOMweb server standing in for the DICOM service
  dcmtk libgdcm-tools dicom3tools   # oracles: dcmdump, gdcmconv, dciodvfy
  libopenjp2-7 libcharls2           # JPEG 2000 and JPEG-LS codecs, loaded through P/Invoke
  python3-torch python3-numpy python3-pydicom python3-nibabel python3-pytest
  python3-gdcm                      # pydicom's handler for compressed pixel data (test oracle, benchmark peer)
)

install_apt_packages() {
  local missing=()
  local package
  for package in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]} == 0)); then
    log "apt packages: all ${#APT_PACKAGES[@]} present"
    return
  fi

  log "apt packages: installing ${missing[*]}"
  local sudo=()
  if ((EUID != 0)); then sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_npm_packages() {
  local dir="$REPO_ROOT/tests/node"
  # npm writes node_modules/.package-lock.json on install; matching it to the lock file means nothing changed.
  if [[ -f "$dir/node_modules/.package-lock.json" ]] \
    && node -e 'const a=require(process.argv[1]).packages, b=require(process.argv[2]).packages;
                for (const k of Object.keys(a)) if (k && (!b[k] || b[k].version !== a[k].version)) process.exit(1);' \
       "$dir/package-lock.json" "$dir/node_modules/.package-lock.json"; then
    log "npm packages: up to date with tests/node/package-lock.json"
    return
  fi
  log "npm packages: npm ci in tests/node"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}

install_dependencies() {
  install_apt_packages
  install_npm_packages
}
