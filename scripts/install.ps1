<#
.SYNOPSIS
Installs the futu-mcp and futucli release binaries for Windows x64, checked against the
release's SHA256SUMS before anything is installed.

.DESCRIPTION
Downloads SHA256SUMS and futu-mcp-<version>-x86_64-pc-windows-msvc.exe and
futucli-<version>-x86_64-pc-windows-msvc.exe from a GitHub release (or -BaseUrl), verifies
each with Get-FileHash, and installs them as futu-mcp.exe and futucli.exe in -Prefix. Nothing
is installed unless every download matches its checksum. The downloaded binaries are never run.
The user PATH is not changed: the command to add -Prefix to it is printed instead.

  powershell -ExecutionPolicy Bypass -File install.ps1 [-Version X.Y.Z] [-Prefix DIR]
  & ([scriptblock]::Create((Invoke-RestMethod https://github.com/OWNER/NAME/releases/latest/download/install.ps1))) -Version X.Y.Z

Exit codes (when run as a file): 0 installed, 1 failed (nothing installed), 2 usage.

.PARAMETER Version
The release to install, X.Y.Z (default: the latest; env FUTU_INSTALL_VERSION).

.PARAMETER Prefix
Where to install (default: $env:LOCALAPPDATA\Programs\futu-mcp; env FUTU_INSTALL_PREFIX).

.PARAMETER BaseUrl
A directory URL holding the release assets and SHA256SUMS, instead of GitHub
(env FUTU_INSTALL_BASE_URL).

.PARAMETER Repo
The GitHub repository (OWNER/NAME) to download the release from.

.PARAMETER Only
Install only futu-mcp or only futucli (default: both).
#>
[CmdletBinding(PositionalBinding = $false)]
param(
    [string]$Version = $env:FUTU_INSTALL_VERSION,
    [string]$Prefix = $env:FUTU_INSTALL_PREFIX,
    [string]$BaseUrl = $env:FUTU_INSTALL_BASE_URL,
    [string]$Repo = '',
    [string]$Only = '',
    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]]$Rest = @()
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# Invoke-WebRequest's progress bar makes downloads many times slower on Windows PowerShell 5.1.
$ProgressPreference = 'SilentlyContinue'

# The release workflow replaces this placeholder in the copy of this script it attaches to a release.
$RepoDefault = "__GITHUB_REPOSITORY__"
$Target = 'x86_64-pc-windows-msvc'

# Run as a file, errors end the script with an exit code; pasted or run from a script block, they
# are thrown instead, so the user's PowerShell window stays open.
$AsFile = [bool]$PSCommandPath
# The exit code for the error being thrown: 1 failed, 2 usage.
$script:ExitCode = 1

function Fail([string]$Message) {
    $script:ExitCode = 1
    throw $Message
}

function UsageError([string]$Message) {
    $script:ExitCode = 2
    throw "$Message (see: Get-Help .\install.ps1 -Detailed)"
}

function Get-Download([string]$Url, [string]$OutFile) {
    try {
        Invoke-WebRequest -UseBasicParsing -Uri $Url -OutFile $OutFile
    } catch {
        Fail "could not download ${Url}: $($_.Exception.Message)"
    }
}

function Test-OnPath([string]$Path, [string]$PathList) {
    if (-not $PathList) { return $false }
    $want = $Path.TrimEnd('\')
    foreach ($entry in $PathList.Split(';')) {
        if ($entry -and ($entry.TrimEnd('\') -ieq $want)) { return $true }
    }
    return $false
}

function Install-FutuMcp {
    # --- the arguments ----------------------------------------------------------------------------
    if ($Rest.Count -gt 0) { UsageError "unknown argument: $($Rest[0])" }
    switch ($Only) {
        '' { $products = @('futu-mcp', 'futucli') }
        'futu-mcp' { $products = @('futu-mcp') }
        'futucli' { $products = @('futucli') }
        default { UsageError "-Only takes futu-mcp or futucli, not '$Only'" }
    }

    $releaseVersion = $Version
    if ($releaseVersion) {
        $releaseVersion = $releaseVersion -replace '^v', ''
        if ($releaseVersion -notmatch '^[0-9][0-9A-Za-z.+-]*$') { UsageError "not a version: '$Version' (expected X.Y.Z)" }
    }

    $installDir = $Prefix
    if (-not $installDir) {
        if (-not $env:LOCALAPPDATA) { UsageError 'LOCALAPPDATA is not set: pass -Prefix DIR' }
        $installDir = Join-Path $env:LOCALAPPDATA 'Programs\futu-mcp'
    }
    $installDir = $installDir.TrimEnd('\', '/')

    $repoSlug = $Repo
    if ($repoSlug -and ($repoSlug -notmatch '^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$')) {
        UsageError "-Repo takes OWNER/NAME, not '$repoSlug'"
    }

    $base = $BaseUrl
    if ($base) {
        if ($base -notmatch '^https?://') { UsageError "-BaseUrl takes an http:// or https:// URL, not '$base'" }
        $base = $base.TrimEnd('/')
    } else {
        if (-not $repoSlug) { $repoSlug = $RepoDefault }
        if ($repoSlug -eq ('__GITHUB_' + 'REPOSITORY__')) {
            Fail ('this install.ps1 does not know which GitHub repository to download from: ' +
                'use the install.ps1 attached to a release, or pass -Repo OWNER/NAME or -BaseUrl URL')
        }
        if ($releaseVersion) {
            $base = "https://github.com/$repoSlug/releases/download/v$releaseVersion"
        } else {
            $base = "https://github.com/$repoSlug/releases/latest/download"
        }
    }
    if ($base -match '^http://') {
        Write-Warning "downloading over plain http from ${base}: nothing protects the download in transit"
    }

    # --- the machine ------------------------------------------------------------------------------
    if ($PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows) {
        Fail 'install.ps1 is for Windows; on Linux and macOS, use install.sh'
    }
    # A 32-bit PowerShell on 64-bit Windows reports x86 here, and the real architecture in the other.
    $arch = $env:PROCESSOR_ARCHITEW6432
    if (-not $arch) { $arch = $env:PROCESSOR_ARCHITECTURE }
    if ($env:FUTU_INSTALL_TARGET) {
        if ($env:FUTU_INSTALL_TARGET -ne $Target) {
            UsageError "FUTU_INSTALL_TARGET: install.ps1 installs only $Target, not '$($env:FUTU_INSTALL_TARGET)'"
        }
    } elseif ($arch -eq 'ARM64') {
        Fail ("there is no Windows ARM64 build of futu-mcp (PROCESSOR_ARCHITECTURE is $arch); " +
            "to install the x64 build, which Windows 11 on ARM runs under emulation, " +
            "set `$env:FUTU_INSTALL_TARGET = '$Target' and run this again")
    } elseif ($arch -ne 'AMD64') {
        Fail "no release binary for this machine: PROCESSOR_ARCHITECTURE is '$arch' (there is one for Windows x64)"
    }

    # TLS 1.2 for GitHub, which Windows PowerShell 5.1 does not always enable by default.
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor
        [Net.SecurityProtocolType]::Tls12

    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("futu-install." + [System.Guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    $staged = @()
    try {
        # --- SHA256SUMS ---------------------------------------------------------------------------
        $sumsFile = Join-Path $work 'SHA256SUMS'
        Get-Download "$base/SHA256SUMS" $sumsFile
        $sums = @{}
        foreach ($line in Get-Content -LiteralPath $sumsFile) {
            if ($line -match '^([0-9A-Fa-f]{64}) [ *](.+?)\s*$') { $sums[$Matches[2]] = $Matches[1].ToLowerInvariant() }
        }

        $first = $products[0]
        if ($releaseVersion) {
            if (-not $sums.ContainsKey("$first-$releaseVersion-$Target.exe")) {
                Fail "$first-$releaseVersion-$Target.exe is not in $base/SHA256SUMS: no $Target binary for version $releaseVersion there"
            }
        } else {
            $pattern = '^' + [regex]::Escape("$first-") + '(.+)' + [regex]::Escape("-$Target.exe") + '$'
            $versions = @($sums.Keys | Where-Object { $_ -match $pattern } | ForEach-Object { $_ -replace $pattern, '$1' } |
                    Sort-Object -Unique)
            if ($versions.Count -eq 0) { Fail "$base/SHA256SUMS lists no $first binary for $Target" }
            if ($versions.Count -gt 1) {
                Fail "$base/SHA256SUMS lists several versions of $first for $Target ($($versions -join ', ')): pass -Version"
            }
            $releaseVersion = $versions[0]
            if ($releaseVersion -notmatch '^[0-9][0-9A-Za-z.+-]*$') { Fail "unexpected version '$releaseVersion' in $base/SHA256SUMS" }
        }

        # --- download and check every binary before touching the prefix ---------------------------
        foreach ($product in $products) {
            $name = "$product-$releaseVersion-$Target.exe"
            if (-not $sums.ContainsKey($name)) { Fail "$name is not in $base/SHA256SUMS" }
            $expected = $sums[$name]
            $file = Join-Path $work $name
            Get-Download "$base/$name" $file
            $actual = (Get-FileHash -Algorithm SHA256 -LiteralPath $file).Hash.ToLowerInvariant()
            if ($actual -ne $expected) {
                Fail "checksum mismatch for ${name}: expected $expected, got $actual; nothing was installed"
            }
        }

        # --- install ------------------------------------------------------------------------------
        if ((Test-Path -LiteralPath $installDir) -and -not (Test-Path -LiteralPath $installDir -PathType Container)) {
            Fail "$installDir exists and is not a directory"
        }
        New-Item -ItemType Directory -Force -Path $installDir | Out-Null

        foreach ($product in $products) {
            $tmp = Join-Path $installDir ".$product.tmp.$PID.exe"
            $staged += $tmp
            Copy-Item -LiteralPath (Join-Path $work "$product-$releaseVersion-$Target.exe") -Destination $tmp -Force
            Unblock-File -LiteralPath $tmp -ErrorAction SilentlyContinue
        }
        foreach ($product in $products) {
            $dest = Join-Path $installDir "$product.exe"
            $tmp = Join-Path $installDir ".$product.tmp.$PID.exe"
            # A running futu-mcp.exe cannot be overwritten, but it can be renamed: move it aside first.
            Get-ChildItem -LiteralPath $installDir -Filter "$product.exe.old.*" -ErrorAction SilentlyContinue |
                Remove-Item -Force -ErrorAction SilentlyContinue
            if (Test-Path -LiteralPath $dest) {
                Move-Item -LiteralPath $dest -Destination "$dest.old.$PID" -Force
            }
            Move-Item -LiteralPath $tmp -Destination $dest
            Remove-Item -LiteralPath "$dest.old.$PID" -Force -ErrorAction SilentlyContinue
        }
        $staged = @()

        foreach ($product in $products) {
            Write-Host "installed $(Join-Path $installDir "$product.exe") ($product $releaseVersion, $Target)"
        }
    } finally {
        foreach ($tmp in $staged) { Remove-Item -LiteralPath $tmp -Force -ErrorAction SilentlyContinue }
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }

    $futucli = 'futucli'
    $userPath = [Environment]::GetEnvironmentVariable('Path', 'User')
    if (-not (Test-OnPath $installDir $env:Path) -and -not (Test-OnPath $installDir $userPath)) {
        $futucli = "& '$((Join-Path $installDir 'futucli.exe') -replace "'", "''")'"
        Write-Warning "$installDir is not on your PATH. To add it for your user (then open a new terminal):"
        $quoted = $installDir -replace "'", "''"
        Write-Host ("    [Environment]::SetEnvironmentVariable('Path', '$quoted;' + " +
            "[Environment]::GetEnvironmentVariable('Path', 'User'), 'User')")
    }

    Write-Host ''
    Write-Host 'Next:'
    Write-Host "  $futucli mcp-config         # the MCP client configuration for futu-mcp"
    Write-Host "  $futucli gen-key --help     # create an API key for your client"
}

try {
    Install-FutuMcp
} catch {
    if (-not $AsFile) { throw }
    [Console]::Error.WriteLine("install: error: $($_.Exception.Message)")
    exit $script:ExitCode
}
