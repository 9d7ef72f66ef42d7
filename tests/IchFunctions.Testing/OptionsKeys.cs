using System.Reflection;

namespace IchFunctions.Testing;

/// <summary>App setting names (<c>Section__Property</c>) of options classes, from their bindable properties.</summary>
public static class OptionsKeys
{
    public static IEnumerable<string> All(IEnumerable<Type> optionsTypes) => optionsTypes.SelectMany(Of);

    public static IEnumerable<string> Of(Type optionsType)
    {
        string section = (string)optionsType.GetProperty("SectionName", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        return optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => $"{section}__{p.Name}");
    }
}
