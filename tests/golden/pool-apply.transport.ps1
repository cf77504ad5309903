[CmdletBinding(SupportsShouldProcess=$true)]
param(
  [string]$TbScript = 'apply',
  [string]$MetadataUrl = 'https://accounts.accesscontrol.windows.net/8c6f0a5e-3b1d-4f7a-9e2c-5d4b3a2f1e0d/metadata/json/1',
  [string]$DryRun = 'no'
)
$ErrorActionPreference='Stop'
$ProgressPreference='SilentlyContinue'
$mod=$null
foreach($m in 'SkypeForBusiness','Lync'){
if(Get-Module -ListAvailable $m){Import-Module $m;$mod=$m;break}
}
function Pick($o){
$h=@{}
foreach($k in $args){
$v=$o.$k
if($v -is [datetime]){$v=$v.ToUniversalTime().ToString('o')}elseif($v -isnot [bool] -and $null -ne $v){$v="$v"}
$h[$k]=$v
}
$h
}
function TbRead{
$e=New-Object Collections.ArrayList
$s=@{schema=1;server=@{fqdn=[Net.Dns]::GetHostEntry('').HostName;product=$null;module=$mod}}
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
$o=$s.oauthCertificate
if($o){T {
$o.rawData=[Convert]::ToBase64String((Get-Item "Cert:\LocalMachine\My\$($o.thumbprint)").RawData)}}
}
$s.errors=@($e)
$s
}
function TbEmit($s){
$j=ConvertTo-Json $s -Depth 5 -Compress
'TRUSTBRIDGE-STATE:'+[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($j))
}
if(!$mod){throw 'Trust Bridge: no SkypeForBusiness or Lync module; run this on a Front End server.'}
$w=@{WhatIf=$DryRun -eq 'yes' -or $WhatIfPreference;Confirm=$false}
try{
$i=@{Identity='microsoft.sts'}
$o=Get-CsOAuthServer @i -EA 0
if(!$o){New-CsOAuthServer @i -MetadataUrl $MetadataUrl @w
}elseif($o.MetadataUrl -cne $MetadataUrl){Set-CsOAuthServer @i -MetadataUrl $MetadataUrl @w}
$i=@{Identity='microsoft.exchange'}
$a='00000002-0000-0ff1-ce00-000000000000'
$p=Get-CsPartnerApplication @i -EA 0
if($p -and $p.ApplicationIdentifier -ne $a){Remove-CsPartnerApplication @i @w;$p=$null}
if(!$p){New-CsPartnerApplication @i -ApplicationIdentifier $a -ApplicationTrustLevel Full -UseOAuthServer @w
}elseif("$($p.ApplicationTrustLevel)" -ne 'Full' -or !$p.UseOAuthServer -or !$p.Enabled){
Set-CsPartnerApplication @i -ApplicationTrustLevel Full -UseOAuthServer -Enabled $true @w}
$n='00000004-0000-0ff1-ce00-000000000000'
if((Get-CsOAuthConfiguration).ServiceName -ne $n){Set-CsOAuthConfiguration -ServiceName $n @w}
}finally{TbEmit(TbRead)}
