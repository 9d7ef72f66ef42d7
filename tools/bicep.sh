# Builds and lints every Bicep file under infra/ with the Bicep CLI from NuGet, so the check runs
# offline. Sourced by build.sh; expects REPO_ROOT and the log helpers.

readonly BICEP_TOOLS_PROJECT="$REPO_ROOT/tools/bicep/BicepCli.csproj"

# Restores the tools project (a PackageDownload of Azure.Bicep.CommandLine.linux-x64) and prints the
# path of the bicep executable in the NuGet packages folder.
bicep_path() {
  dotnet restore "$BICEP_TOOLS_PROJECT" --nologo -v quiet >&2 || fail "restoring the Bicep CLI from NuGet failed"
  local packages version
  packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
  version="$(sed -n 's/.*<BicepCliVersion>\(.*\)<\/BicepCliVersion>.*/\1/p' "$REPO_ROOT/Directory.Packages.props")"
  local bicep="${packages%/}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
  [[ -f "$bicep" ]] || fail "Bicep CLI $version not found at $bicep after restore"
  # NuGet does not keep file modes when it extracts a package.
  [[ -x "$bicep" ]] || chmod u+x "$bicep"
  printf '%s\n' "$bicep"
}

# Runs 'bicep build' and 'bicep lint' on every .bicep file under infra/. Both exit 0 on warnings, so
# any diagnostic they print counts as a failure.
check_infra() {
  local bicep
  bicep="$(bicep_path)"
  log "bicep: build and lint infra/ with $("$bicep" --version)"
  local out="$ARTIFACTS/infra"
  rm -rf "$out"
  mkdir -p "$out"
  local output status=0
  output="$(cd "$REPO_ROOT/infra" \
    && "$bicep" build --pattern '**/*.bicep' --outdir "$out" 2>&1 \
    && "$bicep" lint --pattern '**/*.bicep' 2>&1)" || status=$?
  if ((status != 0)) || [[ -n "$output" ]]; then
    printf '%s\n' "$output" >&2
    fail "infra/: bicep build or lint reported errors or warnings (listed above); fix each, or suppress it in infra/bicepconfig.json or with #disable-next-line and a comment giving the reason"
  fi
  log "bicep: infra/ builds and lints cleanly"
}
