namespace IchFunctions.Dicom;

/// <summary>
/// A value representation (DICOM PS3.5 section 6.2), stored as its two upper-case ASCII letters.
/// </summary>
public readonly record struct DicomVR
{
    private DicomVR(char first, char second)
    {
        Code = (ushort)((first << 8) | second);
    }

    /// <summary>The two letters as one number, first letter in the high byte, as they appear in the stream.</summary>
    public ushort Code { get; }

    public static readonly DicomVR AE = new('A', 'E');
    public static readonly DicomVR AS = new('A', 'S');
    public static readonly DicomVR AT = new('A', 'T');
    public static readonly DicomVR CS = new('C', 'S');
    public static readonly DicomVR DA = new('D', 'A');
    public static readonly DicomVR DS = new('D', 'S');
    public static readonly DicomVR DT = new('D', 'T');
    public static readonly DicomVR FD = new('F', 'D');
    public static readonly DicomVR FL = new('F', 'L');
    public static readonly DicomVR IS = new('I', 'S');
    public static readonly DicomVR LO = new('L', 'O');
    public static readonly DicomVR LT = new('L', 'T');
    public static readonly DicomVR OB = new('O', 'B');
    public static readonly DicomVR OD = new('O', 'D');
    public static readonly DicomVR OF = new('O', 'F');
    public static readonly DicomVR OL = new('O', 'L');
    public static readonly DicomVR OV = new('O', 'V');
    public static readonly DicomVR OW = new('O', 'W');
    public static readonly DicomVR PN = new('P', 'N');
    public static readonly DicomVR SH = new('S', 'H');
    public static readonly DicomVR SL = new('S', 'L');
    public static readonly DicomVR SQ = new('S', 'Q');
    public static readonly DicomVR SS = new('S', 'S');
    public static readonly DicomVR ST = new('S', 'T');
    public static readonly DicomVR SV = new('S', 'V');
    public static readonly DicomVR TM = new('T', 'M');
    public static readonly DicomVR UC = new('U', 'C');
    public static readonly DicomVR UI = new('U', 'I');
    public static readonly DicomVR UL = new('U', 'L');
    public static readonly DicomVR UN = new('U', 'N');
    public static readonly DicomVR UR = new('U', 'R');
    public static readonly DicomVR US = new('U', 'S');
    public static readonly DicomVR UT = new('U', 'T');
    public static readonly DicomVR UV = new('U', 'V');

    private static readonly DicomVR[] All =
    [
        AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN,
        UR, US, UT, UV,
    ];

    /// <summary>The standard VRs.</summary>
    public static IReadOnlyList<DicomVR> Values => All;

    /// <summary>Returns the VR for two ASCII letters, or false when they are not a standard VR.</summary>
    public static bool TryParse(byte first, byte second, out DicomVR vr)
    {
        ushort code = (ushort)((first << 8) | second);
        foreach (DicomVR candidate in All)
        {
            if (candidate.Code == code)
            {
                vr = candidate;
                return true;
            }
        }

        vr = default;
        return false;
    }

    /// <summary>Returns the VR named by a two-letter string such as "US".</summary>
    public static DicomVR Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 2 && TryParse((byte)text[0], (byte)text[1], out DicomVR vr))
        {
            return vr;
        }

        throw new FormatException($"'{text}' is not a DICOM value representation; use one of the two-letter codes of PS3.5 section 6.2.");
    }

    /// <summary>
    /// True where explicit VR encoding uses two reserved bytes and a 32-bit length (PS3.5 section 7.1.2).
    /// </summary>
    public bool HasLongLength => this == OB || this == OD || this == OF || this == OL || this == OV || this == OW
        || this == SQ || this == UC || this == UN || this == UR || this == UT || this == SV || this == UV;

    /// <summary>True for VRs whose values are character strings.</summary>
    public bool IsString => this == AE || this == AS || this == CS || this == DA || this == DS || this == DT || this == IS
        || this == LO || this == LT || this == PN || this == SH || this == ST || this == TM || this == UC || this == UI
        || this == UR || this == UT;

    /// <summary>
    /// True for string VRs whose bytes are decoded with the Specific Character Set (SH, LO, ST, LT, PN, UC, UT);
    /// the other string VRs use the default repertoire.
    /// </summary>
    public bool IsAffectedByCharacterSet => this == SH || this == LO || this == ST || this == LT || this == PN || this == UC
        || this == UT;

    /// <summary>True for string VRs that hold one value in which a backslash is an ordinary character.</summary>
    public bool IsSingleValuedText => this == LT || this == ST || this == UT || this == UR;

    /// <summary>
    /// Size in bytes of one binary value, which is the unit whose byte order changes between little and big
    /// endian: 2 for US, SS, OW and AT, 4 for UL, SL, FL, OF and OL, 8 for FD, OD, SV, UV and OV; 1 otherwise.
    /// </summary>
    public int ByteSwapSize
    {
        get
        {
            if (this == US || this == SS || this == OW || this == AT)
            {
                return 2;
            }

            if (this == UL || this == SL || this == FL || this == OF || this == OL)
            {
                return 4;
            }

            return this == FD || this == OD || this == SV || this == UV || this == OV ? 8 : 1;
        }
    }

    /// <summary>The byte that pads an odd-length value to even length: NUL for UI and binary VRs, space for text.</summary>
    public byte PaddingByte => IsString && this != UI ? (byte)' ' : (byte)0;

    public override string ToString() => new([(char)(Code >> 8), (char)(Code & 0xFF)]);
}
