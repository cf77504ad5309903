[CmdletBinding(SupportsShouldProcess=$true)]
param(
  [string]$TbScript = 'read'
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
function TbAdd2($s){
$s.schema=2
$e=New-Object Collections.ArrayList
function T($b){try{&$b}catch{[void]$e.Add(@{cmdlet="$($_.InvocationInfo.MyCommand)";message="$_"})}}
if($mod){
T {$n=Get-Date;$r=0
$s.oauthCertificates=@(Get-CsCertificate -Type OAuthTokenIssuer|sort EffectiveDate -Desc|%{
$h=Pick $_ thumbprint subject notBefore notAfter effectiveDate
$h.role=if($_.EffectiveDate -gt $n){'staged'}elseif($r++){'previous'}else{'current'}
$k=gi "Cert:\LocalMachine\My\$($h.thumbprint)" -EA 0
if($k){$h.keySize=$k.PublicKey.Key.KeySize;$h.rawData=[Convert]::ToBase64String($k.RawData)}
if($h.role -eq 'current'){$s.oauthCertificate=$h}
$h})}
T {$t=(Get-Date).AddDays(30)
$s.candidates=@(gci Cert:\LocalMachine\My|?{$_.HasPrivateKey -and $_.NotAfter -gt $t -and $_.PublicKey.Oid.Value -eq '1.2.840.113549.1.1.1' -and $_.PublicKey.Key.KeySize -ge 2048}|%{
$h=Pick $_ thumbprint subject issuer notBefore notAfter
$h.keySize=$_.PublicKey.Key.KeySize;$h.rawData=[Convert]::ToBase64String($_.RawData);$h})}
}
$s.errors=@($s.errors)+@($e)
$s
}
TbEmit(TbAdd2(TbRead))
