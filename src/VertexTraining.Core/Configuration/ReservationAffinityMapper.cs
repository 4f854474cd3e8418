using System.Text.RegularExpressions;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>
/// machineSpec.reservationAffinity from VertexReservationAffinity (None, Any, Specific) and VertexReservation, or a
/// pool's ReservationAffinity and Reservation metadata. Specific names one Compute Engine reservation by its full
/// resource name under the key <c>compute.googleapis.com/reservation-name</c> (cloud.google.com/vertex-ai/docs/reference/rest/v1/MachineSpec#reservationaffinity).
/// </summary>
internal static partial class ReservationAffinityMapper
{
    public const string SpecificReservationKey = "compute.googleapis.com/reservation-name";

    [GeneratedRegex(@"^projects/[a-z0-9-]+/zones/[a-z]+-[a-z]+[0-9]+-[a-z]/reservations/[a-z]([-a-z0-9]{0,61}[a-z0-9])?\z")]
    private static partial Regex ReservationName();

    /// <param name="subject">The pool's subject in messages, or null for the default shape (then the property names are the subjects).</param>
    /// <param name="pick">Reads a pool's metadata, falling back to the property of the same meaning.</param>
    /// <param name="bag">Collects errors.</param>
    public static ReservationAffinity? Read(string? subject, Func<string, string, string?> pick, DiagnosticBag bag)
    {
        var affinitySubject = subject is null ? VertexProperty.ReservationAffinity : $"{subject} ReservationAffinity";
        var reservationSubject = subject is null ? VertexProperty.Reservation : $"{subject} Reservation";
        var affinity = pick("ReservationAffinity", VertexProperty.ReservationAffinity);
        var reservation = pick("Reservation", VertexProperty.Reservation);
        var type = affinity?.ToUpperInvariant() switch
        {
            null => null,
            "NONE" => "NO_RESERVATION",
            "ANY" => "ANY_RESERVATION",
            "SPECIFIC" => "SPECIFIC_RESERVATION",
            _ => "",
        };
        if (type == "")
        {
            bag.Error(DiagnosticCodes.InvalidReservationAffinity, affinitySubject, $"{affinitySubject} is '{affinity}'; valid values are None, Any and Specific.");
            return null;
        }

        if (type == "SPECIFIC_RESERVATION")
        {
            if (reservation is null || !ReservationName().IsMatch(reservation))
            {
                bag.Error(DiagnosticCodes.InvalidReservation, reservationSubject,
                    $"{reservationSubject} is '{reservation}'; with {affinitySubject} Specific give the reservation as projects/{{project}}/zones/{{zone}}/reservations/{{name}}.");
                return null;
            }

            return new ReservationAffinity { ReservationAffinityType = type, Key = SpecificReservationKey, Values = [reservation] };
        }

        if (reservation is not null)
        {
            bag.Error(DiagnosticCodes.InvalidReservation, reservationSubject,
                $"{reservationSubject} is set, but it is used only with {affinitySubject} Specific (it is '{affinity ?? "not set"}').");
            return null;
        }

        return type is null ? null : new ReservationAffinity { ReservationAffinityType = type };
    }
}
