#!/usr/bin/env bash
# make-test-keys.sh DIR: generate the SNP platform model's TEST attestation
# keys into DIR, unless they are there already. These are NOT AMD keys and
# prove nothing about any hardware: a test ARK (RSA-4096, self-signed) signs
# a test ASK, which signs the VCEK certificate of the model's chip (an ECDSA
# P-384 key, with the TCB and chip ID extensions of AMD's VCEKs). The
# model's PSP signs attestation reports with that VCEK (-device
# snp-psp,keys=DIR); a verifier checks them against ark.pem, ask.pem and
# vcek.pem, as against AMD's chain.
#
# DIR gets: ark.pem ask.pem vcek.pem (certificates), cert_chain.pem (ASK
# then ARK, as AMD's KDS serves it), vcek.der, vcek.key.pem, and for the
# PSP vcek.key.hex (the private scalar) and chip-id.hex (64 bytes).
set -euo pipefail

dir=$1
# The model's TCB: boot loader 4, TEE 0, SNP 8, microcode 0xd3 (snp-fw.h).
bl_spl=4 tee_spl=0 snp_spl=8 ucode_spl=211

[ -f "$dir/.complete" ] && exit 0
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pss=(-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -sha384)
subject() { echo "/O=SEV-SNP 6.1 test platform/OU=TEST KEY - not AMD/CN=$1"; }

# ARK: self-signed root; ASK: signed by the ARK.
openssl req -x509 -newkey rsa:4096 -nodes -keyout "$tmp/ark.key" \
	-subj "$(subject ARK-Milan)" -days 9125 "${pss[@]}" \
	-addext basicConstraints=critical,CA:true \
	-addext keyUsage=critical,keyCertSign,cRLSign \
	-out "$dir/ark.pem" 2>/dev/null
openssl req -new -newkey rsa:4096 -nodes -keyout "$tmp/ask.key" \
	-subj "$(subject SEV-Milan)" -out "$tmp/ask.csr" 2>/dev/null
printf '%s\n' 'basicConstraints=critical,CA:true' \
	'keyUsage=critical,keyCertSign,cRLSign' >"$tmp/ask.ext"
openssl x509 -req -in "$tmp/ask.csr" -CA "$dir/ark.pem" -CAkey "$tmp/ark.key" \
	-CAserial "$tmp/ark.srl" -CAcreateserial -days 9125 "${pss[@]}" -extfile "$tmp/ask.ext" \
	-out "$dir/ask.pem" 2>/dev/null

# VCEK: the chip's P-384 key, with AMD's extensions (OID 1.3.6.1.4.1.3704.1:
# .1 structure version, .2 product, .3.x TCB SPLs, .4 hardware ID).
chip_id=$(openssl rand -hex 64)
openssl ecparam -name secp384r1 -genkey -noout -out "$dir/vcek.key.pem"
openssl req -new -key "$dir/vcek.key.pem" -subj "$(subject SEV-VCEK)" \
	-out "$tmp/vcek.csr"
cat >"$tmp/vcek.ext" <<EOF
1.3.6.1.4.1.3704.1.1 = ASN1:INTEGER:1
1.3.6.1.4.1.3704.1.2 = ASN1:IA5STRING:Milan-B0
1.3.6.1.4.1.3704.1.3.1 = ASN1:INTEGER:$bl_spl
1.3.6.1.4.1.3704.1.3.2 = ASN1:INTEGER:$tee_spl
1.3.6.1.4.1.3704.1.3.3 = ASN1:INTEGER:$snp_spl
1.3.6.1.4.1.3704.1.3.8 = ASN1:INTEGER:$ucode_spl
1.3.6.1.4.1.3704.1.4 = ASN1:FORMAT:HEX,OCTETSTRING:$chip_id
EOF
openssl x509 -req -in "$tmp/vcek.csr" -CA "$dir/ask.pem" -CAkey "$tmp/ask.key" \
	-CAserial "$tmp/ask.srl" -CAcreateserial -days 9125 "${pss[@]}" -extfile "$tmp/vcek.ext" \
	-out "$dir/vcek.pem" 2>/dev/null
openssl x509 -in "$dir/vcek.pem" -outform DER -out "$dir/vcek.der"
cat "$dir/ask.pem" "$dir/ark.pem" >"$dir/cert_chain.pem"

# For the PSP: the private scalar as 48 bytes of hex, and the chip ID.
openssl ec -in "$dir/vcek.key.pem" -noout -text 2>/dev/null |
	sed -n '/^priv:/,/^pub:/p' | sed '1d;$d' | tr -d ' :\n' |
	sed 's/^\(00\)*//' | awk '{ printf "%096s\n", $0 }' | tr ' ' 0 >"$dir/vcek.key.hex"
echo "$chip_id" >"$dir/chip-id.hex"
[ "$(tr -d '\n' <"$dir/vcek.key.hex" | wc -c)" = 96 ] || {
	echo "make-test-keys.sh: could not extract the VCEK private key" >&2
	exit 1
}
openssl verify -CAfile "$dir/ark.pem" -untrusted "$dir/ask.pem" "$dir/vcek.pem" >/dev/null
echo "TEST KEYS of the SEV-SNP 6.1 test platform, generated $(date -u +%F): not AMD's, trust nothing signed with them." >"$dir/README"
touch "$dir/.complete"
