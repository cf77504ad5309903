# Trust Bridge: apply the server-to-server OAuth settings the hybrid trust needs.
# Changes only what differs; supports -WhatIf.
# Run in the Skype for Business Server Management Shell on a Front End server.
# Prints one line TRUSTBRIDGE-STATE:<Base64 of JSON> and writes trust-bridge-state.json
# beside this file; open that file in Trust Bridge or run
#   trust-bridge-cli pool import trust-bridge-state.json
[CmdletBinding(SupportsShouldProcess=$true)]
param(
  [string]$TbScript = 'apply',
  [string]$MetadataUrl = 'https://accounts.accesscontrol.windows.net/8c6f0a5e-3b1d-4f7a-9e2c-5d4b3a2f1e0d/metadata/json/1',
  [string]$DryRun = 'no'
)
$ErrorActionPreference='Stop'
# Progress records would reach WinRM's stderr as CLIXML noise.
$ProgressPreference='SilentlyContinue'
# Lync Server 2013 names its module Lync, 2015 and 2019 SkypeForBusiness; later editions are
# not documented, so the module is found at run time.
$mod=$null
foreach($m in 'SkypeForBusiness','Lync'){
  if(Get-Module -ListAvailable $m){Import-Module $m;$mod=$m;break}
}
# The named properties of $o for JSON: text, booleans, null, dates in ISO 8601 UTC.
# PowerShell matches property names case-insensitively, so the JSON names are given here.
function Pick($o){
  $h=@{}
  foreach($k in $args){
    $v=$o.$k
    if($v -is [datetime]){$v=$v.ToUniversalTime().ToString('o')}elseif($v -isnot [bool] -and $null -ne $v){$v="$v"}
    $h[$k]=$v
  }
  $h
}
# The pool state, schema 1.
function TbRead{
  $e=New-Object Collections.ArrayList
  $s=@{schema=1;server=@{fqdn=[Net.Dns]::GetHostEntry('').HostName;product=$null;module=$mod}}
  # One gathering step: a failure becomes an entry in errors and leaves its member out, which
  # Trust Bridge reads as "unknown"; success with nothing to report gives [] or null, "absent".
  # The cmdlet named in an entry is the one that raised the error.
  function T($b){try{&$b}catch{[void]$e.Add(@{cmdlet="$($_.InvocationInfo.MyCommand)";message="$_"})}}
  if(!$mod){
    [void]$e.Add(@{cmdlet='Import-Module';message='No SkypeForBusiness or Lync module.'})
  }else{
    T {$s.server.product="$(Get-CsServerVersion)"}
    T {
      $s.oauthServers=@(Get-CsOAuthServer|%{Pick $_ identity metadataUrl realm})}
    T {$s.partnerApplications=@(Get-CsPartnerApplication|%{
      Pick $_ identity applicationIdentifier applicationTrustLevel useOAuthServer enabled})}
    T {$s.oauthConfiguration=Pick (Get-CsOAuthConfiguration) serviceName realm exchangeAutodiscoverUrl}
    T {
      $s.webServices=@(Get-CsService -WebServer|%{Pick $_ poolFqdn externalFqdn internalFqdn})}
    T {$c=@(Get-CsCertificate -Type OAuthTokenIssuer)[0];$s.oauthCertificate=$null
      if($c){$s.oauthCertificate=Pick $c thumbprint subject notBefore notAfter}}
    # The public DER is what the cloud side needs: no .CER file has to be carried over.
    $o=$s.oauthCertificate
    if($o){T {
      $o.rawData=[Convert]::ToBase64String((Get-Item "Cert:\LocalMachine\My\$($o.thumbprint)").RawData)}}
  }
  $s.errors=@($e)
  $s
}
# Prints the one line Trust Bridge reads (and writes trust-bridge-state.json beside the script).
function TbEmit($s){
  $j=ConvertTo-Json $s -Depth 5 -Compress
  # export-only: through -EncodedCommand there is no script file, nor a place for the state file.
  if($PSScriptRoot){
    try{[IO.File]::WriteAllText((Join-Path $PSScriptRoot trust-bridge-state.json),$j)}catch{Write-Warning "$_"}
  }
  # end export-only
  'TRUSTBRIDGE-STATE:'+[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($j))
}
# Schema 2: the pool's OAuth certificates and the candidates for the next one.
function TbAdd2($s){
  $s.schema=2
  $e=New-Object Collections.ArrayList
  function T($b){try{&$b}catch{[void]$e.Add(@{cmdlet="$($_.InvocationInfo.MyCommand)";message="$_"})}}
  if($mod){
    # Every OAuthTokenIssuer certificate the pool knows: one not yet effective is staged, the
    # latest effective one current, older ones previous. Local times on both sides of -gt.
    T {$n=Get-Date;$r=0
      $s.oauthCertificates=@(Get-CsCertificate -Type OAuthTokenIssuer|sort EffectiveDate -Desc|%{
        $h=Pick $_ thumbprint subject notBefore notAfter effectiveDate
        $h.role=if($_.EffectiveDate -gt $n){'staged'}elseif($r++){'previous'}else{'current'}
        $k=gi "Cert:\LocalMachine\My\$($h.thumbprint)" -EA 0
        if($k){$h.keySize=$k.PublicKey.Key.KeySize;$h.rawData=[Convert]::ToBase64String($k.RawData)}
        if($h.role -eq 'current'){$s.oauthCertificate=$h}
        $h})}
    # Certificates that could be the next one: private key here, RSA of 2048 bits or more, valid
    # for 30 more days. Only public data leaves the server.
    T {$t=(Get-Date).AddDays(30)
      $s.candidates=@(gci Cert:\LocalMachine\My|?{$_.HasPrivateKey -and $_.NotAfter -gt $t -and $_.PublicKey.Oid.Value -eq '1.2.840.113549.1.1.1' -and $_.PublicKey.Key.KeySize -ge 2048}|%{
        $h=Pick $_ thumbprint subject issuer notBefore notAfter
        $h.keySize=$_.PublicKey.Key.KeySize;$h.rawData=[Convert]::ToBase64String($_.RawData);$h})}
  }
  $s.errors=@($s.errors)+@($e)
  $s
}
if(!$mod){throw 'Trust Bridge: no SkypeForBusiness or Lync module; run this on a Front End server.'}
# DryRun stands for -WhatIf where none can be given (-EncodedCommand); no prompts either.
$w=@{WhatIf=$DryRun -eq 'yes' -or $WhatIfPreference;Confirm=$false}
# Whatever happens, end with the state as it now is.
try{
  # New-CsOAuthServer fails when the Front End cannot download the metadata URL.
  $i=@{Identity='microsoft.sts'}
  $o=Get-CsOAuthServer @i -EA 0
  if(!$o){New-CsOAuthServer @i -MetadataUrl $MetadataUrl @w
  }elseif($o.MetadataUrl -cne $MetadataUrl){Set-CsOAuthServer @i -MetadataUrl $MetadataUrl @w}
  $i=@{Identity='microsoft.exchange'}
  $a='00000002-0000-0ff1-ce00-000000000000'
  $p=Get-CsPartnerApplication @i -EA 0
  # Set-CsPartnerApplication has no -ApplicationIdentifier: a wrong one means Remove + New.
  if($p -and $p.ApplicationIdentifier -ne $a){Remove-CsPartnerApplication @i @w;$p=$null}
  if(!$p){New-CsPartnerApplication @i -ApplicationIdentifier $a -ApplicationTrustLevel Full -UseOAuthServer @w
  }elseif("$($p.ApplicationTrustLevel)" -ne 'Full' -or !$p.UseOAuthServer -or !$p.Enabled){
    Set-CsPartnerApplication @i -ApplicationTrustLevel Full -UseOAuthServer -Enabled $true @w}
  # The Global instance; there is no other.
  $n='00000004-0000-0ff1-ce00-000000000000'
  if((Get-CsOAuthConfiguration).ServiceName -ne $n){Set-CsOAuthConfiguration -ServiceName $n @w}
}finally{TbEmit(TbAdd2(TbRead))}
