package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Image types of an instance.
const (
	ImageLogo = "logo"
	ImageIcon = "icon"
)

// Limits of instance images.
const (
	MaxImageSize  = 2 << 20 // bytes of the file
	MaxImageSide  = 8000    // pixels, either side
	MinLogoWidth  = 120
	MinLogoHeight = 80
	MinIconSide   = 32
)

// ImageLinkTTL is the least time a signed image link works. Expiries are
// rounded up to whole imageLinkStep, so an instance's image links stay
// the same for that long and browsers can cache the images.
const (
	ImageLinkTTL  = 7 * 24 * time.Hour
	imageLinkStep = 24 * time.Hour
)

// Image is an instance's logo or icon: a PNG, JPEG or GIF file checked by
// NewImage.
type Image struct {
	InstanceID  string
	Type        string // ImageLogo or ImageIcon
	ContentType string // image/png, image/jpeg or image/gif
	Width       int
	Height      int
	Size        int    // bytes
	SHA256      string // hex digest of Data
	Data        []byte
	UpdatedAt   time.Time
}

// Version identifies the image's content in links: a prefix of its
// SHA-256, so a new upload gives new links.
func (img Image) Version() string { return ImageVersion(img.SHA256) }

// ImageVersion is the link version of an image with the given hex SHA-256.
func ImageVersion(sha string) string {
	if len(sha) > 16 {
		return sha[:16]
	}
	return sha
}

// ImageVersion returns the version of the instance's image of type typ,
// "" when it has none.
func (in *Instance) ImageVersion(typ string) string {
	switch typ {
	case ImageLogo:
		return in.LogoVersion
	case ImageIcon:
		return in.IconVersion
	}
	return ""
}

// CheckImageType returns an EInvalid error naming the param "type" unless
// typ is ImageLogo or ImageIcon.
func CheckImageType(typ string) error {
	if typ != ImageLogo && typ != ImageIcon {
		return Invalid("type", ReasonParameterInvalid, "image type must be logo or icon, not %q", typ)
	}
	return nil
}

// imageFormats are the accepted formats, recognised by their first bytes.
var imageFormats = []struct {
	magic       string
	contentType string
	name        string
	config      func(io.Reader) (image.Config, error)
}{
	{"\x89PNG\r\n\x1a\n", "image/png", "PNG", png.DecodeConfig},
	{"\xff\xd8\xff", "image/jpeg", "JPEG", jpeg.DecodeConfig},
	{"GIF87a", "image/gif", "GIF", gif.DecodeConfig},
	{"GIF89a", "image/gif", "GIF", gif.DecodeConfig},
}

// NewImage checks data as an image of type typ and describes it. The
// format comes from the bytes, never from a file name or declared type,
// and only the header is decoded (no pixels), so a small file cannot
// expand into a huge bitmap here. Errors: EInvalid naming "type" for an
// unknown type and "file" for anything wrong with the file (empty, not
// PNG, JPEG or GIF, unreadable header, absurd or too small dimensions, an
// icon that is not square); ETooLarge when it is over MaxImageSize.
func NewImage(typ string, data []byte) (Image, error) {
	if err := CheckImageType(typ); err != nil {
		return Image{}, err
	}
	if len(data) == 0 {
		return Image{}, Invalid("file", ReasonParameterMissing, "file is empty")
	}
	if len(data) > MaxImageSize {
		return Image{}, &Error{Code: ETooLarge, Reason: ReasonBodyTooLarge, Param: "file",
			Message: "the image is larger than the limit of 2 MiB"}
	}
	img := Image{Type: typ, Size: len(data), Data: data}
	var name string
	var config func(io.Reader) (image.Config, error)
	for _, f := range imageFormats {
		if bytes.HasPrefix(data, []byte(f.magic)) {
			img.ContentType, name, config = f.contentType, f.name, f.config
			break
		}
	}
	if config == nil {
		return Image{}, Invalid("file", ReasonParameterInvalid, "file must be a PNG, JPEG or GIF image")
	}
	cfg, err := config(bytes.NewReader(data))
	if err != nil {
		return Image{}, Invalid("file", ReasonParameterInvalid, "file is not a readable %s image", name)
	}
	img.Width, img.Height = cfg.Width, cfg.Height
	if err := checkDimensions(typ, img.Width, img.Height); err != nil {
		return Image{}, err
	}
	sum := sha256.Sum256(data)
	img.SHA256 = hex.EncodeToString(sum[:])
	return img, nil
}

// checkDimensions applies the size rules of an image type.
func checkDimensions(typ string, w, h int) error {
	switch {
	case w <= 0 || h <= 0 || w > MaxImageSide || h > MaxImageSide:
		return Invalid("file", ReasonParameterInvalid, "the image is %dx%d px; each side must be between 1 and %d px", w, h, MaxImageSide)
	case typ == ImageLogo && (w < MinLogoWidth || h < MinLogoHeight):
		return Invalid("file", ReasonParameterInvalid, "a logo must be at least %dx%d px; this one is %dx%d px", MinLogoWidth, MinLogoHeight, w, h)
	case typ == ImageIcon && w != h:
		return Invalid("file", ReasonParameterInvalid, "an icon must be square; this one is %dx%d px", w, h)
	case typ == ImageIcon && w < MinIconSide:
		return Invalid("file", ReasonParameterInvalid, "an icon must be at least %dx%d px; this one is %dx%d px", MinIconSide, MinIconSide, w, h)
	}
	return nil
}

// ImagePath is the public path of an instance image.
func ImagePath(instanceID, typ string) string {
	return "/portal/" + url.PathEscape(instanceID) + "/images/" + url.PathEscape(typ)
}

// ImageURL returns the signed GET link to an instance image of the given
// version (the signed parameter v). The link works for at least
// ImageLinkTTL; its expiry is rounded up to a whole day, so it stays the
// same for a day and a browser's cached copy is reused.
func (l *LinkSigner) ImageURL(instanceID, typ, version string) string {
	path := ImagePath(instanceID, typ)
	params := url.Values{"v": {version}}
	step := int64(imageLinkStep / time.Second)
	expires := l.Now().Add(ImageLinkTTL).Unix()
	expires = (expires + step - 1) / step * step
	q := url.Values{
		"v":         {version},
		"expires":   {strconv.FormatInt(expires, 10)},
		"signature": {l.sign("GET", path, params, expires)},
	}
	return strings.TrimRight(l.BaseURL, "/") + path + "?" + q.Encode()
}

// ImageStore keeps the images of instances, one per type.
type ImageStore interface {
	// PutImage checks data with NewImage (EInvalid, ETooLarge; nothing
	// changes then) and stores it as the instance's image of type typ,
	// replacing any earlier one. It returns the stored image without its
	// bytes; ENotFound for an unknown instance.
	PutImage(ctx context.Context, instanceID, typ string, data []byte) (Image, error)
	// Image returns the instance's image of type typ with its bytes;
	// ENotFound when the instance or the image does not exist.
	Image(ctx context.Context, instanceID, typ string) (Image, error)
}
