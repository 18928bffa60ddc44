"""aksnet/workflows"""
