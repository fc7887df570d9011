# The Windows installer's smoke test (the same as packaging/test-deb.sh does for the .deb), run by
# .github/workflows/windows.yml on a Windows runner: install silently per machine, `counterdesk --version`,
# set up a store in %LOCALAPPDATA%\CounterDesk, start the window offscreen until it is ready, uninstall,
# and check the program is gone and the data kept.
$ErrorActionPreference = "Stop"
$setup = Get-ChildItem dist\CounterDesk-*-setup.exe | Select-Object -First 1
if (-not $setup) { throw "no installer in dist\" }
$want = (python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()

Start-Process $setup.FullName -ArgumentList "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/TASKS=desktopicon" -Wait
$app = Join-Path $env:ProgramFiles "CounterDesk"
$exe = Join-Path $app "counterdesk.exe"
if (-not (Test-Path $exe)) { throw "not installed in $app" }
if (-not (Test-Path (Join-Path $app "counterdeskw.exe"))) { throw "no windowed program" }
$menu = Join-Path $env:ProgramData "Microsoft\Windows\Start Menu\Programs\营业厅柜台 CounterDesk.lnk"
$desk = Join-Path $env:PUBLIC "Desktop\营业厅柜台 CounterDesk.lnk"
foreach ($link in @($menu, $desk)) { if (-not (Test-Path $link)) { throw "no shortcut $link" } }
$mb = [math]::Round(((Get-ChildItem $app -Recurse -File | Measure-Object Length -Sum).Sum) / 1MB)
Write-Host "installed folder: $mb MB"
if ($mb -ge 250) { throw "installed folder is $mb MB (limit 250)" }

$version = (& $exe --version).Trim()
if ($version -ne "counterdesk $want") { throw "--version says '$version', pyproject.toml '$want'" }

# The store in the user's own data folder (no COUNTERDESK_DATA_DIR): %LOCALAPPDATA%\CounterDesk
Remove-Item Env:COUNTERDESK_DATA_DIR -ErrorAction SilentlyContinue
$data = Join-Path $env:LOCALAPPDATA "CounterDesk"
$env:COUNTERDESK_ADMIN_PASSWORD = "admin123"
& $exe init --admin admin --station-code 3301 --station-name "城东营业厅"
if ($LASTEXITCODE -ne 0) { throw "init failed" }
if (-not (Test-Path (Join-Path $data "counterdesk.sqlite"))) { throw "no store in $data" }
& $exe audit verify
if ($LASTEXITCODE -ne 0) { throw "audit verify failed" }

$env:QT_QPA_PLATFORM = "offscreen"
$env:COUNTERDESK_EXIT_WHEN_READY = "1"
$env:COUNTERDESK_AUTOLOGIN = "admin:admin123"
$out = & $exe
Write-Host $out
if (-not ($out -match "^ready .* focus=search$")) { throw "the window did not become ready" }

# The uninstaller copies itself to a temporary folder and returns at once: wait for the folder to go.
Start-Process (Join-Path $app "unins000.exe") -ArgumentList "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART" -Wait
for ($i = 0; ($i -lt 60) -and (Test-Path $exe); $i++) { Start-Sleep -Seconds 1 }
if (Test-Path $exe) { throw "still installed after uninstall" }
if (Test-Path $menu) { throw "the Start-menu shortcut is still there" }
if (-not (Test-Path (Join-Path $data "counterdesk.sqlite"))) { throw "the uninstaller deleted the user's data" }
Write-Host "smoke.ps1: all checks passed"
