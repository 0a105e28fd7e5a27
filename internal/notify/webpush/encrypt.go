package webpush

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
)

// recordSize is the aes128gcm record size announced in the header
// (RFC 8188 §2.1). One record carries the whole message.
const recordSize = 4096

// headerSize is salt (16) + rs (4) + idlen (1) + keyid (65-byte as_public).
const headerSize = 16 + 4 + 1 + 65

// MaxPayload is the largest plaintext that fits in the 4096-byte body every
// push service must accept (RFC 8030 §7.2): the header, the padding
// delimiter and the 16-byte GCM tag take the rest.
const MaxPayload = 4096 - headerSize - 1 - 16

// ErrPayloadTooLarge: the message exceeds MaxPayload.
var ErrPayloadTooLarge error = permanentError("webpush: payload larger than " + strconv.Itoa(MaxPayload) + " bytes")

// encryptPayload encrypts plaintext for the subscription with a fresh
// ephemeral key and salt (RFC 8291).
func encryptPayload(plaintext []byte, sub Subscription) ([]byte, error) {
	uaPublic, auth, err := sub.decodeKeys()
	if err != nil {
		return nil, err
	}
	as, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	return encrypt(plaintext, uaPublic, auth, as, salt)
}

// encrypt is RFC 8291 §3.4 with the application server's ephemeral key
// and the salt given, so that the RFC's Appendix A vector can be checked.
// The result is the aes128gcm body: header (salt, rs, keyid = as_public)
// followed by one record (plaintext, delimiter 0x02, AEAD tag).
func encrypt(plaintext, uaPublicBytes, authSecret []byte, as *ecdh.PrivateKey, salt []byte) ([]byte, error) {
	if len(plaintext) > MaxPayload {
		return nil, ErrPayloadTooLarge
	}
	if len(authSecret) != 16 {
		return nil, fmt.Errorf("%w: auth secret must be 16 bytes, got %d", ErrBadSubscription, len(authSecret))
	}
	if len(salt) != 16 {
		return nil, errors.New("webpush: salt must be 16 bytes")
	}
	uaPublic, err := ecdh.P256().NewPublicKey(uaPublicBytes)
	if err != nil {
		return nil, fmt.Errorf("%w: p256dh is not a P-256 point", ErrBadSubscription)
	}
	ecdhSecret, err := as.ECDH(uaPublic)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadSubscription, err)
	}
	asPublic := as.PublicKey().Bytes()

	// PRK_key = HKDF-Extract(auth_secret, ecdh_secret);
	// IKM = HKDF-Expand(PRK_key, "WebPush: info" || 0x00 || ua_public || as_public, 32).
	prkKey, err := hkdf.Extract(sha256.New, ecdhSecret, authSecret)
	if err != nil {
		return nil, err
	}
	keyInfo := "WebPush: info\x00" + string(uaPublicBytes) + string(asPublic)
	ikm, err := hkdf.Expand(sha256.New, prkKey, keyInfo, 32)
	if err != nil {
		return nil, err
	}
	// RFC 8188 §2.2 and §2.3: the content encryption key and nonce.
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		return nil, err
	}
	cek, err := hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16)
	if err != nil {
		return nil, err
	}
	nonce, err := hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}

	body := make([]byte, 0, headerSize+len(plaintext)+1+gcm.Overhead())
	body = append(body, salt...)
	body = binary.BigEndian.AppendUint32(body, recordSize)
	body = append(body, byte(len(asPublic)))
	body = append(body, asPublic...)
	record := append(append(make([]byte, 0, len(plaintext)+1), plaintext...), 0x02) // last record, no padding
	return gcm.Seal(body, nonce, record, nil), nil
}
